package stepline

import "context"

// Identity is who a request acts as and where: the account (from the access key; the
// default account while authentication is off) and the region (from the request's
// SigV4 credential scope). ARNs are built from it.
type Identity struct {
	Account   string
	Region    string
	Partition string // "aws" unless configured otherwise
}

type identityKey struct{}

// ContextWithIdentity returns ctx carrying id.
func ContextWithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the identity in ctx, or def when there is none.
func IdentityFrom(ctx context.Context, def Identity) Identity {
	if id, ok := ctx.Value(identityKey{}).(Identity); ok {
		return id
	}
	return def
}

// IdentityDefault is who a request acts as when nothing says otherwise: the account
// every access key maps to while authentication is off, AWS's default region and
// partition.
var IdentityDefault = Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"}

// Or returns id with each empty field taken from def.
func (id Identity) Or(def Identity) Identity {
	if id.Account == "" {
		id.Account = def.Account
	}
	if id.Region == "" {
		id.Region = def.Region
	}
	if id.Partition == "" {
		id.Partition = def.Partition
	}
	return id
}
