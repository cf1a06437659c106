package main

import "stepline/api/awsjson"

// awsEnumOrder returns an enum's values in the order AWS lists them in the
// "Member must satisfy enum value set: [...]" message. That order is not the
// model's: AWS's validator keeps the values in a hash table. Every message we
// could check (Step Functions ListExecutions statusFilter, recorded against
// AWS: model order RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED,
// PENDING_REDRIVE, printed [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED,
// FAILED, RUNNING]; and messages of DynamoDB, Cognito, Lambda and CloudWatch
// quoted in public code) fits one rule: a chained table of 32 buckets indexed
// by the low bits of Java's String.hashCode, without bit spreading, each new
// value put at the head of its bucket, walked from bucket 0 up. Cognito's
// providerType shows the head insertion: OIDC and Google share a bucket and
// OIDC, later in the model, comes first. The table grows as Java's does
// (load factor 0.75); no recorded message covers an enum that large.
func awsEnumOrder(values []string) []string {
	buckets := 32
	for float64(len(values)) > 0.75*float64(buckets) {
		buckets *= 2
	}
	table := make([][]string, buckets)
	for _, v := range values {
		i := awsjson.JavaStringHash(v) & uint32(buckets-1)
		table[i] = append([]string{v}, table[i]...)
	}
	out := make([]string, 0, len(values))
	for _, chain := range table {
		out = append(out, chain...)
	}
	return out
}
