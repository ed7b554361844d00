from ninja import Router

router = Router(tags=["Pelaku ekraf"])
