package validate

import (
	"strings"
)

// resource checks a Task's Resource: an ARN, and for Step Functions' optimized
// integrations (arn:aws:states:::service:action) one AWS knows, used with a pattern
// the state machine type allows.
func (c *checker) resource(res, at string) {
	if !strings.HasPrefix(res, "arn:") {
		c.unknownResource(res, at)
		return
	}
	parts := strings.SplitN(res, ":", 6)
	if len(parts) < 6 {
		c.unknownResource(res, at)
		return
	}
	service, region, account, rest := parts[2], parts[3], parts[4], parts[5]
	if service != "states" {
		return // a Lambda function ARN or another service's resource
	}
	if strings.HasPrefix(rest, "activity:") {
		if c.express {
			c.schema(at, "Express state machine does not support Activity ARN")
		}
		return
	}
	if region != "" || account != "" {
		return
	}
	action, pattern := splitPattern(rest)
	switch pattern {
	case "", "sync", "sync:2", "waitForTaskToken":
	default:
		c.unknownResource(res, at)
		return
	}
	if !knownIntegration(action, pattern) {
		c.unknownResource(res, at)
		return
	}
	if c.express && pattern != "" {
		// Recorded, trailing space included: "Express state machine does not support
		// '.waitForTaskToken' service integration  at /States/Publish/Resource".
		p := pattern
		if strings.HasPrefix(p, "sync") {
			p = "sync"
		}
		c.schema(at, "Express state machine does not support '.%s' service integration ", p)
	}
}

// unknownResource reports a Resource AWS does not recognize, in its words
// (recorded for arn:aws:states:::dynamodb:query).
func (c *checker) unknownResource(res, at string) {
	c.schema(at, "The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.", res)
}

// splitPattern splits "sns:publish.waitForTaskToken" into "sns:publish" and
// "waitForTaskToken".
func splitPattern(rest string) (action, pattern string) {
	if i := strings.Index(rest, "."); i >= 0 {
		return rest[:i], rest[i+1:]
	}
	return rest, ""
}

// knownIntegration reports whether service:action (with a pattern) is one of Step
// Functions' optimized integrations
// (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html).
// Services not listed here are accepted, so a newer integration is never refused.
func knownIntegration(action, pattern string) bool {
	service, api, ok := strings.Cut(action, ":")
	if !ok || service == "" || api == "" {
		return false
	}
	switch service {
	case "aws-sdk":
		return strings.Contains(api, ":") && pattern != "sync" && pattern != "sync:2"
	case "lambda":
		return api == "invoke" && (pattern == "" || pattern == "waitForTaskToken")
	case "sns":
		return api == "publish" && (pattern == "" || pattern == "waitForTaskToken")
	case "sqs":
		return api == "sendMessage" && (pattern == "" || pattern == "waitForTaskToken")
	case "dynamodb":
		switch api {
		case "getItem", "putItem", "updateItem", "deleteItem":
			return pattern == ""
		}
		return false
	case "states":
		switch api {
		case "startExecution":
			return true
		}
		return false
	case "events":
		return api == "putEvents" && (pattern == "" || pattern == "waitForTaskToken")
	case "apigateway":
		return api == "invoke" && (pattern == "" || pattern == "waitForTaskToken")
	case "http":
		return api == "invoke" && pattern == ""
	case "ecs":
		return api == "runTask"
	case "batch":
		return api == "submitJob" && pattern != "sync:2"
	case "glue":
		return api == "startJobRun" && pattern != "sync:2"
	}
	return true
}
