package connector

import "strings"

// OctetStream is the media type of a file whose extension the table does
// not know.
const OctetStream = "application/octet-stream"

// mediaTypes maps a file name's extension (lower case, without the dot)
// to its media type, by IANA's registered names where there is one. It is
// fixed in the code rather than read from the host's mime files
// (mime.TypeByExtension), so that a manifest, and the policy's verdict on
// it, are the same on every machine: Lambda's image, a laptop, CI.
var mediaTypes = map[string]string{
	// Documents.
	"pdf":     "application/pdf",
	"doc":     "application/msword",
	"docx":    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"xls":     "application/vnd.ms-excel",
	"xlsx":    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"ppt":     "application/vnd.ms-powerpoint",
	"pptx":    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"odt":     "application/vnd.oasis.opendocument.text",
	"ods":     "application/vnd.oasis.opendocument.spreadsheet",
	"odp":     "application/vnd.oasis.opendocument.presentation",
	"rtf":     "application/rtf",
	"epub":    "application/epub+zip",
	"pages":   "application/vnd.apple.pages",
	"numbers": "application/vnd.apple.numbers",
	"key":     "application/vnd.apple.keynote",
	// Text and data.
	"txt":      "text/plain",
	"text":     "text/plain",
	"log":      "text/plain",
	"csv":      "text/csv",
	"tsv":      "text/tab-separated-values",
	"md":       "text/markdown",
	"markdown": "text/markdown",
	"html":     "text/html",
	"htm":      "text/html",
	"xml":      "application/xml",
	"json":     "application/json",
	"yaml":     "application/yaml",
	"yml":      "application/yaml",
	"ics":      "text/calendar",
	"vcf":      "text/vcard",
	"eml":      "message/rfc822",
	"msg":      "application/vnd.ms-outlook",
	// Images.
	"jpg":  "image/jpeg",
	"jpeg": "image/jpeg",
	"jpe":  "image/jpeg",
	"png":  "image/png",
	"gif":  "image/gif",
	"webp": "image/webp",
	"heic": "image/heic",
	"heif": "image/heif",
	"tif":  "image/tiff",
	"tiff": "image/tiff",
	"bmp":  "image/bmp",
	"svg":  "image/svg+xml",
	"ico":  "image/vnd.microsoft.icon",
	"avif": "image/avif",
	// Audio and video.
	"mp3":  "audio/mpeg",
	"m4a":  "audio/mp4",
	"wav":  "audio/wav",
	"ogg":  "audio/ogg",
	"mp4":  "video/mp4",
	"m4v":  "video/mp4",
	"mov":  "video/quicktime",
	"webm": "video/webm",
	"avi":  "video/x-msvideo",
	// Archives.
	"zip": "application/zip",
	"gz":  "application/gzip",
	"tgz": "application/gzip",
	"tar": "application/x-tar",
	"7z":  "application/x-7z-compressed",
	"rar": "application/vnd.rar",
	// Executables and scripts, so that a policy of media types can name
	// them too.
	"exe": "application/vnd.microsoft.portable-executable",
	"dll": "application/vnd.microsoft.portable-executable",
	"msi": "application/x-msi",
	"apk": "application/vnd.android.package-archive",
	"dmg": "application/x-apple-diskimage",
	"js":  "text/javascript",
	"sh":  "application/x-sh",
}

// MediaType returns the media type of a file called name, from its
// extension by the fixed table above; OctetStream when the name has no
// extension or the table does not know it. Case does not matter.
func MediaType(name string) string {
	if t, ok := mediaTypes[Extension(name)]; ok {
		return t
	}
	return OctetStream
}

// Extension returns the extension of a file called name, lower case and
// without the dot: what follows the last dot of its last path element
// (SendSafely keeps names as uploaded, slashes and all), surrounding white
// space ignored. It returns "" for a name without one, and for a name
// that only starts with a dot (".profile").
func Extension(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return ""
	}
	return strings.ToLower(name[i+1:])
}
