environment     = "staging"
base_domain     = 42
internal_domain = "example.com"
env_prefix      = "x-staging"
