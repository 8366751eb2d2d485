"""Design documents for a painted bag: schema with hard limits, and the rasterizer."""
