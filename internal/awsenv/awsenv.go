// Package awsenv builds the AWS SDK's configuration from the environment
// that Lambda gives a function, and nothing else.
//
// The SDK's config.LoadDefaultConfig also knows shared config files, SSO,
// web identity, container and instance credentials; linking that chain
// adds about 1.5 MB to the function's binary, and on Lambda it ends up
// reading the same environment variables as this package does. Programs
// that run on a laptop with profiles (connector-dev) keep using it.
package awsenv

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// The environment variables read.
const (
	Region        = "AWS_REGION"
	DefaultRegion = "AWS_DEFAULT_REGION"
	AccessKeyID   = "AWS_ACCESS_KEY_ID"
	SecretKey     = "AWS_SECRET_ACCESS_KEY"
	SessionToken  = "AWS_SESSION_TOKEN"
	EndpointURL   = "AWS_ENDPOINT_URL"
)

// Config returns the SDK configuration named by the environment read
// through getenv: the region (AWS_REGION, or AWS_DEFAULT_REGION), the
// credentials Lambda sets for the function's role (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and AWS_ENDPOINT_URL when set
// (an emulator). It makes no network call. Its error is one line naming
// what is missing.
func Config(getenv func(string) string) (aws.Config, error) {
	region := strings.TrimSpace(getenv(Region))
	if region == "" {
		region = strings.TrimSpace(getenv(DefaultRegion))
	}
	if region == "" {
		return aws.Config{}, errors.New("aws: AWS_REGION is required and not set (Lambda sets it)")
	}
	id, secret := strings.TrimSpace(getenv(AccessKeyID)), strings.TrimSpace(getenv(SecretKey))
	if id == "" || secret == "" {
		return aws.Config{}, errors.New("aws: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required and not set (Lambda sets them for the function's role)")
	}
	cfg := aws.Config{
		Region:      region,
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, strings.TrimSpace(getenv(SessionToken)))),
	}
	if ep := strings.TrimSpace(getenv(EndpointURL)); ep != "" {
		cfg.BaseEndpoint = aws.String(ep)
	}
	cfg.ConfigSources = []any{serviceEndpoints{getenv}}
	return cfg, nil
}

// serviceEndpoints answers the SDK's question for a service's own endpoint
// from AWS_ENDPOINT_URL_<SERVICE> (the service id in upper case, spaces as
// underscores: AWS_ENDPOINT_URL_CONNECT), as the SDK's shared
// configuration does, so one service can be pointed at a stand-in.
type serviceEndpoints struct{ getenv func(string) string }

// GetServiceBaseEndpoint returns the endpoint set for the service sdkID.
func (s serviceEndpoints) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	name := EndpointURL + "_" + strings.ToUpper(strings.ReplaceAll(sdkID, " ", "_"))
	ep := strings.TrimSpace(s.getenv(name))
	return ep, ep != "", nil
}
