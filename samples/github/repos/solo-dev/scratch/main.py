print("hello from a repository without a licence file")
