environment     = "staging"
base_domain     = "example.com"
internal_domain = "example.com"
env_prefix      = "x-staging"
ghp_@@TOKEN@@ = var.x
