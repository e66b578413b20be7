// SignificanceModels
