app_name = "creators"
urlpatterns = []
