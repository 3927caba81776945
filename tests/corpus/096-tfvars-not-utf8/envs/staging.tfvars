environment = "staging"
base_domain = "café.example.com"
