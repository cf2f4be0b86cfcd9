"""The public pages: the recap with its charts, and the proposal tracker."""
