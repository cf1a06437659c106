package asl

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// errForeignToken is returned by ParseTaskToken for tokens NewTaskToken did not make.
var errForeignToken = errors.New("asl: invalid task token")

// tokenPrefix versions the token layout.
const tokenPrefix = "v1|"

// NewTaskToken makes the task token of a task: opaque to users, decodable by the
// engine. The nonce (from the execution's seeded source) makes tokens unguessable from
// the execution ARN and task id alone.
func NewTaskToken(executionARN, taskID string, nonce uint64) string {
	raw := tokenPrefix + strconv.FormatUint(nonce, 36) + "|" + taskID + "|" + executionARN
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseTaskToken returns what NewTaskToken encoded, or an error for a foreign token.
func ParseTaskToken(token string) (executionARN, taskID string, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", "", errForeignToken
	}
	s, ok := strings.CutPrefix(string(raw), tokenPrefix)
	if !ok {
		return "", "", errForeignToken
	}
	parts := strings.SplitN(s, "|", 3)
	if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
		return "", "", errForeignToken
	}
	if _, err := strconv.ParseUint(parts[0], 36, 64); err != nil {
		return "", "", errForeignToken
	}
	return parts[2], parts[1], nil
}
