"""Digital elevation models: mosaicking, reprojection and building a metric DEM grid."""
