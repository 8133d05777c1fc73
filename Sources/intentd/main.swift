print("intentd")
