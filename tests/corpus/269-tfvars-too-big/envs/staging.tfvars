environment = "staging"
@@PAD@@