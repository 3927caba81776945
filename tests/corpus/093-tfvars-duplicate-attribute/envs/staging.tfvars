environment = "staging"
base_domain = "example.com"
env_prefix  = "x-staging"
env_prefix  = "y-staging"
