environment = "staging"
base_domain =
env_prefix  = "x-staging"
