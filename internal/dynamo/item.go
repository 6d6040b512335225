package dynamo

import (
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// The attributes of an item. The SAM template declares pk as the table's
// key and expiresAt as its TTL attribute: renaming either breaks deployed
// tables.
const (
	attrKey     = "pk"        // S: the record's key, a one-way hash of the upload id
	attrVersion = "v"         // N: the record's version, for conditional writes
	attrExpires = "expiresAt" // N: Unix seconds; DynamoDB deletes the item after it
	attrSealed  = "d"         // B: the sealed state
)

// encode returns the item of rec. Expires is stored to the second, as TTL
// reads it.
func encode(rec connector.Record) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrKey:     &types.AttributeValueMemberS{Value: rec.Key},
		attrVersion: number(rec.Version),
		attrExpires: number(rec.Expires.Unix()),
		attrSealed:  &types.AttributeValueMemberB{Value: rec.Sealed},
	}
}

// decode returns the record of an item written by encode. An item of
// another shape is an unclassified error: something other than this
// adapter wrote it.
func decode(item map[string]types.AttributeValue) (connector.Record, error) {
	key, ok := item[attrKey].(*types.AttributeValueMemberS)
	if !ok {
		return connector.Record{}, malformed(attrKey, "S")
	}
	version, err := integer(item, attrVersion)
	if err != nil {
		return connector.Record{}, err
	}
	expires, err := integer(item, attrExpires)
	if err != nil {
		return connector.Record{}, err
	}
	sealed, ok := item[attrSealed].(*types.AttributeValueMemberB)
	if !ok {
		return connector.Record{}, malformed(attrSealed, "B")
	}
	return connector.Record{
		Key:     key.Value,
		Version: version,
		Expires: time.Unix(expires, 0).UTC(),
		Sealed:  sealed.Value,
	}, nil
}

// integer returns the number attribute name of item as an int64.
func integer(item map[string]types.AttributeValue, name string) (int64, error) {
	n, ok := item[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0, malformed(name, "N")
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return 0, malformed(name, "N holding an integer")
	}
	return v, nil
}

func malformed(name, want string) error {
	return fmt.Errorf("malformed item: attribute %s is not %s", name, want)
}
