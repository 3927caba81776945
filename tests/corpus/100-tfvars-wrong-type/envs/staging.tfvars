environment     = "staging"
base_domain     = { host = "example.com" }
internal_domain = "example.com"
env_prefix      = "x-staging"
