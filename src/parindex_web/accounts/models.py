"""Accounts use Django's stock User for now; profiles and unit memberships will live here."""
