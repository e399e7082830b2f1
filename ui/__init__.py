"""The Qt layer: widgets, Qt models and workers over the app/ services. Never SQL."""
