package agent

import (
	"fmt"
	"net/http"
	"strings"
)

// checkTraversal refuses request paths with traversal sequences before
// anything else looks at the key, as Consul does.
func checkTraversal(path string) error {
	if strings.Contains(path, "../") || strings.Contains(path, `..\`) {
		return httpError{code: http.StatusBadRequest, reason: "URL path contains invalid traversal sequence"}
	}
	lower := strings.ToLower(path)
	for _, enc := range []string{"%2e%2e%2f", "%2e%2e/", "..%2f", "%2e%2e%5c", "%252e%252e%252f"} {
		if strings.Contains(lower, enc) {
			return httpError{code: http.StatusBadRequest, reason: "URL path contains encoded traversal sequence"}
		}
	}
	return nil
}

// suspiciousExtensions are suffixes Consul refuses on keys because caches
// in front of the API might store such responses.
var suspiciousExtensions = []string{
	".js", ".css", ".html", ".htm", ".xml", ".json", ".txt", ".log",
	".php", ".asp", ".jsp", ".cgi", ".pl", ".py", ".rb", ".sh",
	".exe", ".dll", ".bat", ".cmd", ".com", ".scr", ".vbs",
	".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
	".zip", ".rar", ".tar", ".gz", ".7z", ".bz2",
	".jpg", ".jpeg", ".png", ".gif", ".svg", ".ico", ".bmp",
	".mp3", ".mp4", ".avi", ".mov", ".wmv", ".flv", ".swf",
	".woff", ".woff2", ".ttf", ".eot", ".otf",
}

// validateKey applies Consul's KV key rules: no leading slash, only
// letters, digits and ",-_./", no traversal, no cacheable file suffix.
func validateKey(key string) error {
	if strings.HasPrefix(key, "/") {
		return fmt.Errorf("key must not begin with a '/'")
	}
	for i, r := range key {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == ',' || r == '-' || r == '_' || r == '.' || r == '/'
		if !ok {
			return fmt.Errorf("key contains invalid character '%c' at position %d. Only alphanumeric characters and ,-_./ are allowed", r, i)
		}
	}
	if strings.Contains(key, "../") {
		return fmt.Errorf("key contains path traversal sequence")
	}
	lower := strings.ToLower(key)
	for _, ext := range suspiciousExtensions {
		if strings.HasSuffix(lower, ext) {
			return fmt.Errorf("key contains suspicious file extension '%s' that may be cached by proxies", ext)
		}
	}
	return nil
}
