// Copyright 2024 Northwind Systems
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS.

package store

import "testing"

func TestPutThenGet(t *testing.T) {
	s := New()
	s.Put("colour", "teal")
	if got, ok := s.Get("colour"); !ok || got != "teal" {
		t.Fatalf("Get = %q, %v; want teal, true", got, ok)
	}
}
