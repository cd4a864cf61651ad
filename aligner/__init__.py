"""Chinese source <-> English translation: sentences, segmentation, numbers, alignment, scores."""
