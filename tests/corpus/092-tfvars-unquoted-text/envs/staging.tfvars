environment = "staging"
base_domain = example com
