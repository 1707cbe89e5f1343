"""The results gallery: each workshop's key results, published to the plenary and upvoted."""
