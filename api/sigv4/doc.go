// Package sigv4 reads the AWS Signature Version 4 credential of a request,
// from the Authorization header or from a presigned URL's query string, so
// the API layer learns the caller's access key and, from the credential
// scope, the region the request is for. Checking the signature itself is
// behind the Verifier interface, so authentication can be turned on without
// touching the protocol handlers.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
package sigv4
