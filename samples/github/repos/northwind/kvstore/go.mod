module example.test/northwind/kvstore

go 1.22
