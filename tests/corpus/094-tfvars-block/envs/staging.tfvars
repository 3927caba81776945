environment = "staging"
locals {
  base_domain = "example.com"
}
