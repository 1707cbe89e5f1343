"""Realtime: the socket.io server, dispatch of `capability:action` events, audiences, publishing."""
