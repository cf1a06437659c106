package sfn

import (
	"strings"

	"stepline"
)

// Resource types as they appear in Step Functions ARNs
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-arns.html).
const (
	arnTypeStateMachine = "stateMachine"
	arnTypeActivity     = "activity"
	arnTypeExecution    = "execution"
	arnTypeExpress      = "express"
	arnTypeMapRun       = "mapRun"
)

// ARN is a parsed Step Functions ARN: arn:<Partition>:states:<Region>:<Account>:<Type>:<Name>[:<Qualifier>...].
// For a state machine, Qualifier is a version number or an alias name and Label a
// Distributed Map label (after "/").
type ARN struct {
	Partition string
	Region    string
	Account   string
	Type      string // stateMachine, activity, execution, express, mapRun
	Name      string // the state machine or activity name
	Qualifier string // version number, alias name or execution name; may be empty
	Label     string // Distributed Map label, after "/" in the name
	Rest      string // anything after the qualifier (express execution ids)
}

// IsVersion reports whether a stateMachine ARN names a version (numeric qualifier).
func (a ARN) IsVersion() bool { return a.Qualifier != "" && allDigits(a.Qualifier) }

// IsAlias reports whether a stateMachine ARN names an alias (non-numeric qualifier).
func (a ARN) IsAlias() bool { return a.Qualifier != "" && !allDigits(a.Qualifier) }

// Base returns the unqualified ARN of the resource (the state machine or activity).
func (a ARN) Base() string {
	return "arn:" + a.Partition + ":states:" + a.Region + ":" + a.Account + ":" + a.Type + ":" + a.Name
}

// scope is the ARN prefix of a caller's resources; records are listed under it.
func scope(id stepline.Identity) string {
	return "arn:" + id.Partition + ":states:" + id.Region + ":" + id.Account
}

func stateMachineARN(id stepline.Identity, name string) string {
	return scope(id) + ":" + arnTypeStateMachine + ":" + name
}

func activityARN(id stepline.Identity, name string) string {
	return scope(id) + ":" + arnTypeActivity + ":" + name
}

// ParseARN splits a Step Functions ARN. It checks the shape only; whether the type fits
// the operation is the caller's check (see parseARNOf). Errors are AWS's InvalidArn.
func ParseARN(s string) (ARN, error) {
	parts := strings.Split(s, ":")
	// arn:partition:states:region:account:type:name → at least 7 parts.
	if len(parts) < 6 || parts[0] != "arn" || !validPartition(parts[1]) || parts[2] != "states" ||
		!validRegion(parts[3]) || !validAccount(parts[4]) {
		return ARN{}, invalidARN("Invalid ARN prefix: " + s)
	}
	a := ARN{Partition: parts[1], Region: parts[3], Account: parts[4], Type: parts[5]}
	if len(parts) < 7 || parts[6] == "" {
		return ARN{}, invalidARN("Invalid ARN format: " + s)
	}
	a.Name = parts[6]
	if i := strings.IndexByte(a.Name, '/'); i >= 0 {
		a.Name, a.Label = a.Name[:i], a.Name[i+1:]
	}
	if len(parts) > 7 {
		a.Qualifier = parts[7]
		if a.Qualifier == "" {
			return ARN{}, invalidARN("Invalid ARN format: " + s)
		}
	}
	if len(parts) > 8 {
		a.Rest = strings.Join(parts[8:], ":")
	}
	return a, nil
}

// parseARNOf parses s and requires its resource type to be typ, with AWS's message
// "Resource type not valid in this context: <type>" otherwise.
func parseARNOf(s, typ string) (ARN, error) {
	a, err := ParseARN(s)
	if err != nil {
		return ARN{}, err
	}
	if a.Type != typ {
		return ARN{}, invalidARN("Resource type not valid in this context: " + strings.ToLower(a.Type))
	}
	return a, nil
}

// parseStateMachineARN parses an unqualified, version or alias state machine ARN.
func parseStateMachineARN(s string) (ARN, error) {
	a, err := parseARNOf(s, arnTypeStateMachine)
	if err != nil {
		return ARN{}, err
	}
	if a.Rest != "" {
		return ARN{}, invalidARN("Invalid ARN format: " + s)
	}
	return a, nil
}

func invalidARN(detail string) *stepline.Error {
	return stepline.Errorf("InvalidArn", "Invalid Arn: '%s'", detail)
}

func validPartition(p string) bool {
	return p == "aws" || strings.HasPrefix(p, "aws-")
}

func validRegion(r string) bool {
	if r == "" {
		return false
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func validAccount(a string) bool { return len(a) == 12 && allDigits(a) }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
