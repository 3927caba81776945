variable "db_admin_password" {
  default = "s3cr3t-Value"
  type    =
}
