package mcp

import (
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// content is the MCP content of a successful tool call: the output as
// text; for read_file also the image as image content and the download
// link as a resource_link.
func content(reply tools.Reply) []sdk.Content {
	out := []sdk.Content{&sdk.TextContent{Text: string(reply.Body)}}
	ro := reply.Read
	if ro == nil {
		return out
	}
	if reply.Image != nil {
		out = append(out, &sdk.ImageContent{Data: reply.Image, MIMEType: reply.ImageType})
	}
	if ro.DownloadURL != "" {
		out = append(out, &sdk.ResourceLink{URI: ro.DownloadURL, Name: ro.Name, MIMEType: ro.Type,
			Description: "Download link, valid until " + ro.DownloadExpiresAt + "."})
	}
	return out
}
