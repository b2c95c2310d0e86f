"""Complaints that arrive by e-mail: parsing raw messages, turning them into cases, reading mailboxes."""
