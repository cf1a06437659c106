// Package awsjson serves one AWS JSON-protocol service (awsJson 1.0 or 1.1):
// it routes POST requests by X-Amz-Target to typed operation handlers,
// decodes and validates their input, encodes their output, and turns errors
// into AWS's {"__type","message"} error shape. It also holds the codecs the
// generated wire types rely on: Time for timestamps and Validator for model
// constraints. The error shapes and status codes follow
// https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html.
package awsjson
