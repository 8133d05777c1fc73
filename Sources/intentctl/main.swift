print("intentctl")
