<!DOCTYPE html>
<html lang="de">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Impressum</title>
</head>
<body>
<h1>Impressum</h1>
<p>Größe &amp; Söhne OHG<br>Domstraße 4<br>97070 Würzburg</p>
<p>Gesellschafter: Jürgen Größe, Maximilian Größe</p>
<p>Fon: 0931-123456<br>eMail: laden&#64;groesse-soehne.test</p>
<p>Handelsregister: Amtsgericht Würzburg HRA 4567</p>
<p>Ust-ID: DE 556677881</p>
</body>
</html>
