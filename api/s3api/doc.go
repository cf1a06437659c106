// Package s3api serves the S3 REST/XML protocol over the objects service, as the
// AWS CLI, the SDKs and boto3 speak it: path-style and virtual-host-style
// addressing, aws-chunked bodies with trailing checksums, presigned URLs, and AWS's
// XML errors with AWS's codes, messages and statuses.
//
// Subresources and headers this server cannot honour (?tagging, ?acl on PUT,
// ?policy, ?lifecycle, x-amz-tagging, ...) are answered with 501 NotImplemented
// before anything changes, so a client never believes a setting took effect.
//
// Signatures are parsed for the region and, in presigned URLs, the expiry. They are
// verified only when Config.Verifier is set; without one, as with the JSON services
// while authentication is off, any key is accepted.
// https://docs.aws.amazon.com/AmazonS3/latest/API/Type_API_Reference.html
package s3api
