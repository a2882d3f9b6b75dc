// Picking a free time fills the date and time fields of the move form.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-date][data-time]");
  if (!button) return;
  document.querySelector("input[name=date]").value = button.dataset.date;
  document.querySelector("input[name=time]").value = button.dataset.time;
});
