"""Live audience polls: single and multiple choice, word clouds, rating scales, open text."""
