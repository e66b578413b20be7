print("ast")
