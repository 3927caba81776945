environment     = "ghp_@@TOKEN@@"
base_domain     = "example.com"
internal_domain = "example.com"
env_prefix      = "x-staging"
