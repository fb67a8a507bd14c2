"""authenticators"""
