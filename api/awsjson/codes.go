package awsjson

// Error codes the protocol layer itself produces. Services define their own.
const (
	// CodeValidationException is a request that breaks a model constraint.
	// AWS reports it under the namespace "com.amazon.coral.validate".
	CodeValidationException = "ValidationException"
	// CodeSerializationException is a body that is not JSON or whose members
	// have the wrong JSON types.
	CodeSerializationException = "SerializationException"
	// CodeUnknownOperation is an X-Amz-Target naming no operation.
	CodeUnknownOperation = "UnknownOperationException"
	// CodeInternalFailure is any failure that is not the caller's.
	CodeInternalFailure = "InternalFailure"
	// CodeInvalidToken is a pagination token that is malformed, forged or
	// expired (Step Functions' InvalidToken).
	CodeInvalidToken = "InvalidToken"
)
