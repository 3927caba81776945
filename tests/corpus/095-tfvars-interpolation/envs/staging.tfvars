environment = "staging"
base_domain = "${var.domain}"
env_prefix  = "x-staging"
