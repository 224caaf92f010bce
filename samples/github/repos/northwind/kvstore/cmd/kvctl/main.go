/*
 * Copyright 2024 Northwind Systems
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 */

// Command kvctl reads key=value pairs from its arguments and prints them back sorted.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	pairs := os.Args[1:]
	sort.Strings(pairs)
	for _, pair := range pairs {
		key, value, _ := strings.Cut(pair, "=")
		fmt.Printf("%s\t%s\n", key, value)
	}
}
