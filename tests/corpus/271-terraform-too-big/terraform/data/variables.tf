variable "environment" {
  type = string
}
@@PAD@@