variable "replicas" {
  type = number
}
@@PAD@@