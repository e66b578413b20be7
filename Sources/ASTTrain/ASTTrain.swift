// ASTTrain
