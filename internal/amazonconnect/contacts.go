// Package amazonconnect attaches secure links to Amazon Connect contacts,
// so that the agent handling a contact sees the upload on it.
package amazonconnect

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// ReferenceName is the name of the URL reference the link is attached
// under; the agent workspace shows it on the contact.
const ReferenceName = "Secure upload"

// FilesReferenceName is the name of the STRING reference that lists the
// upload's files beside the link.
const FilesReferenceName = "Files"

// Amazon Connect's limits on references (API Reference, "Reference"
// data type, https://docs.aws.amazon.com/connect/latest/APIReference/API_Reference.html):
// a Value is at most 4,096 characters, and a contact holds at most 4,096
// UTF-8 bytes across all its references. The Files reference is kept to
// what is left of that budget beside the link's reference (names and
// values counted), and to maxFilesValue bytes whatever is left, so that
// references a contact flow set too still fit.
const (
	referencesBudget = 4096
	maxFilesValue    = 1024
)

// API is the part of the Amazon Connect client the adapter calls.
type API interface {
	UpdateContact(ctx context.Context, in *connect.UpdateContactInput, optFns ...func(*connect.Options)) (*connect.UpdateContactOutput, error)
}

// Contacts attaches links to contacts through API.
type Contacts struct {
	api API
}

var _ connector.Contacts = (*Contacts)(nil)

// New returns Contacts that calls api.
func New(api API) *Contacts { return &Contacts{api: api} }

// AttachLink sets the URL reference "Secure upload" of the contact named
// by contactARN (arn:<partition>:connect:<region>:<account>:instance/<id>/
// contact/<id>) to link, and when files is not "" the STRING reference
// "Files" to files cut with "…" to the references' limit, with one
// UpdateContact in the contact's region. It returns ErrInvalid for an ARN
// of another form; otherwise the errors of translate.
func (c *Contacts) AttachLink(ctx context.Context, contactARN string, link connector.Link, files string) error {
	ct, err := parseContact(contactARN)
	if err != nil {
		return err
	}
	refs := map[string]types.Reference{
		ReferenceName: {Type: types.ReferenceTypeUrl, Value: aws.String(string(link))},
	}
	if files != "" {
		room := min(maxFilesValue, referencesBudget-len(ReferenceName)-len(link)-len(FilesReferenceName))
		refs[FilesReferenceName] = types.Reference{Type: types.ReferenceTypeString, Value: aws.String(cut(files, room))}
	}
	_, err = c.api.UpdateContact(ctx, &connect.UpdateContactInput{
		InstanceId: aws.String(ct.instanceID),
		ContactId:  aws.String(ct.contactID),
		References: refs,
	}, func(o *connect.Options) { o.Region = ct.region })
	if err != nil {
		return translate("update contact", err)
	}
	return nil
}

// contact is a contact ARN taken apart.
type contact struct {
	region, instanceID, contactID string
}

// parseContact splits a contact ARN into the parts UpdateContact needs.
func parseContact(arn string) (contact, error) {
	f := strings.SplitN(strings.TrimSpace(arn), ":", 6)
	if len(f) == 6 && f[0] == "arn" && f[2] == "connect" && f[3] != "" {
		r := strings.Split(f[5], "/")
		if len(r) == 4 && r[0] == "instance" && r[1] != "" && r[2] == "contact" && r[3] != "" {
			return contact{region: f[3], instanceID: r[1], contactID: r[3]}, nil
		}
	}
	return contact{}, fmt.Errorf("amazonconnect: %w: the contact arn is not arn:<partition>:connect:<region>:<account>:instance/<id>/contact/<id>",
		connector.ErrInvalid)
}

// cut returns s if it is at most n bytes, else its longest prefix of whole
// characters that leaves room for "…" within n bytes, and "…".
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ellipsis = "…"
	end := max(n-len(ellipsis), 0)
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + ellipsis
}
