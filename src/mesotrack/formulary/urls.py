from django.urls import path

from mesotrack.formulary import recall_views, recipe_views, views

app_name = "formulary"
urlpatterns = [
    path("", views.formulary_home, name="home"),
    path("settings/", views.formulary_settings, name="settings"),
    path("ingredients/", views.ingredient_list, name="ingredients"),
    path("products/new/", views.product_create, name="product-create"),
    path("products/<int:product_id>/", views.product_detail, name="product"),
    path("products/<int:product_id>/receive/", views.stock_receive, name="receive"),
    path("lots/<int:lot_id>/", views.lot_detail, name="lot"),
    path("lots/<int:lot_id>/movement/", views.lot_movement, name="lot-movement"),
    path("lots/<int:lot_id>/status/", views.lot_status, name="lot-status"),
    path("lots/<int:lot_id>/recall/", recall_views.recall_list, name="recall"),
    path("lots/<int:lot_id>/recall.csv", recall_views.recall_csv, name="recall-csv"),
    path("recipes/", recipe_views.recipe_list, name="recipes"),
    path("recipes/new/", recipe_views.recipe_create, name="recipe-create"),
    path("recipes/<int:recipe_id>/", recipe_views.recipe_detail, name="recipe"),
    path(
        "recipes/<int:recipe_id>/versions/new/",
        recipe_views.recipe_version_create,
        name="recipe-version-create",
    ),
    path("recipes/<int:recipe_id>/batches/new/", recipe_views.batch_create, name="batch-create"),
    path("batches/<int:batch_id>/", recipe_views.batch_detail, name="batch"),
    path("batches/<int:batch_id>/discard/", recipe_views.batch_discard, name="batch-discard"),
]
