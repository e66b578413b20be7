// ASTSim
