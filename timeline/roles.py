"""The newsroom's two roles are Django groups, created by migration 0004_roles.

Contributors write drafts and submit them for review; editors also publish,
schedule, unpublish, rename actors, topics and measures, delete published
events and add corrections. Publishing itself is this permission, checked on
every path that publishes.
"""

PUBLISH_PERMISSION = "timeline.publish_event"
