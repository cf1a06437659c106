package asl

import "flag"

// update rewrites golden files and the conformance known-failures list.
var update = flag.Bool("update", false, "rewrite golden files and known-failure lists")
